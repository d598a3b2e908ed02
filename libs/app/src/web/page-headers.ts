import helmet from 'helmet';

/**
 * Security headers for the web inbox's pages (the API's own policy allows no sources at all):
 * scripts only from this origin, styles from this origin and inline (the design system injects
 * its styles at run time), no framing, forms only to this origin, no plugins. Plain-http localhost
 * development must load too, so no upgrade of requests.
 */
export const webPageHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
});
