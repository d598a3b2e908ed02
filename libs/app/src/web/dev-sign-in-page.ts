/** The development identity provider's sign-in page, in the language the inbox asked for (ui_locales). */

export type PageLanguage = 'fi' | 'sv' | 'en';
export const PAGE_LANGUAGES: readonly PageLanguage[] = ['fi', 'sv', 'en'];

export function pageLanguageOf(uiLocales: unknown): PageLanguage {
  const first = typeof uiLocales === 'string' ? uiLocales.split(' ')[0]?.slice(0, 2).toLowerCase() : undefined;
  return PAGE_LANGUAGES.find((language) => language === first) ?? 'fi';
}

const TEXT = {
  fi: {
    title: 'Tunnistaudu – testitunnistaja',
    banner: 'Testitunnistaja: vain kehitykseen ja testaukseen. Tämä ei ole oikea tunnistuspalvelu.',
    heading: 'Tunnistaudu Asiointitiliin',
    intro: 'Valitse tunnistustapa ja anna testihenkilötunnus.',
    method: 'Tunnistustapa',
    bank: 'Pankkitunnukset',
    mobile: 'Mobiilivarmenne',
    idcard: 'Varmennekortti',
    hetu: 'Henkilötunnus',
    hint: 'Esimerkiksi 131052-308T',
    level: 'Varmuustaso',
    high: 'Korkea',
    substantial: 'Korotettu',
    submit: 'Tunnistaudu',
    cancel: 'Peruuta ja palaa palveluun',
    invalidHetu: 'Henkilötunnus ei kelpaa. Tarkista muoto (ppkkvv-nnnT) ja tarkistusmerkki.',
    missingHetu: 'Anna henkilötunnus.',
    errorSummary: 'Tarkista tiedot',
  },
  sv: {
    title: 'Identifiera dig – testidentifiering',
    banner: 'Testidentifiering: endast för utveckling och testning. Detta är inte en riktig identifieringstjänst.',
    heading: 'Identifiera dig i Asiointitili',
    intro: 'Välj identifieringsmetod och ange en personbeteckning för test.',
    method: 'Identifieringsmetod',
    bank: 'Bankkoder',
    mobile: 'Mobilcertifikat',
    idcard: 'Certifikatkort',
    hetu: 'Personbeteckning',
    hint: 'Till exempel 131052-308T',
    level: 'Tillitsnivå',
    high: 'Hög',
    substantial: 'Betydande',
    submit: 'Identifiera dig',
    cancel: 'Avbryt och återgå till tjänsten',
    invalidHetu: 'Personbeteckningen är ogiltig. Kontrollera formatet (ddmmåå-nnnT) och kontrolltecknet.',
    missingHetu: 'Ange personbeteckningen.',
    errorSummary: 'Kontrollera uppgifterna',
  },
  en: {
    title: 'Sign in – test identification',
    banner: 'Test identification: for development and testing only. This is not a real identification service.',
    heading: 'Sign in to Asiointitili',
    intro: 'Choose an identification method and give a test personal identity code.',
    method: 'Identification method',
    bank: 'Online bank',
    mobile: 'Mobile certificate',
    idcard: 'ID card',
    hetu: 'Personal identity code (henkilötunnus)',
    hint: 'For example 131052-308T',
    level: 'Level of assurance',
    high: 'High',
    substantial: 'Substantial',
    submit: 'Sign in',
    cancel: 'Cancel and return to the service',
    invalidHetu: 'The personal identity code is not valid. Check the format (ddmmyy-nnnC) and the check character.',
    missingHetu: 'Give your personal identity code.',
    errorSummary: 'Check the details',
  },
} as const;

export interface SignInForm {
  readonly action: string;
  readonly abort: string;
  readonly language: PageLanguage;
  readonly hetu?: string;
  readonly method?: string;
  readonly level?: string;
  readonly error?: 'invalid' | 'missing';
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function signInPage(form: SignInForm): string {
  const t = TEXT[form.language];
  const method = form.method ?? 'bank';
  const level = form.level ?? 'high';
  const error = form.error === 'invalid' ? t.invalidHetu : form.error === 'missing' ? t.missingHetu : undefined;
  const radio = (name: string, value: string, label: string, checked: boolean) =>
    `<div class="choice"><input type="radio" id="${name}-${value}" name="${name}" value="${value}"${checked ? ' checked' : ''}><label for="${name}-${value}">${escape(label)}</label></div>`;
  return `<!doctype html>
<html lang="${form.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${error ? `${escape(t.errorSummary)}: ` : ''}${escape(t.title)}</title>
<style>
  *{box-sizing:border-box}
  body{margin:0;font-family:"Source Sans Pro","Helvetica Neue",Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1f2023;background:#f7f7f8}
  .banner{background:#fff1d1;border-bottom:2px solid #ffaa00;padding:.5rem 1rem;margin:0}
  main{max-width:34rem;margin:0 auto;padding:1rem}
  .card{background:#fff;border:1px solid #c8cdd0;padding:1rem 1.25rem 1.5rem}
  h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
  fieldset{border:0;padding:0;margin:0 0 1.25rem}
  legend,label.field{font-weight:600;display:block;margin-bottom:.25rem}
  .choice{display:flex;align-items:center;gap:.5rem;margin:.35rem 0}
  .choice input{width:1.25rem;height:1.25rem;margin:0}
  input[type=text]{width:100%;max-width:16rem;font:inherit;padding:.4rem .6rem;border:1px solid #6c7072;border-radius:2px}
  input[aria-invalid=true]{border:2px solid #c60a35}
  .hint{color:#41464b;margin:0 0 .25rem}
  .error{color:#c60a35;font-weight:600;margin:.25rem 0 0}
  .error::before{content:"⚠ "}
  button{font:inherit;font-weight:600;color:#fff;background:#2a6ebb;border:0;border-radius:2px;padding:.6rem 1.25rem;cursor:pointer;min-height:44px}
  a{color:#2a6ebb}
  :focus-visible{outline:3px solid #1a99c7;outline-offset:2px}
  .actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin-top:1.5rem}
</style>
</head>
<body>
<p class="banner" role="note">${escape(t.banner)}</p>
<main>
<div class="card">
<h1>${escape(t.heading)}</h1>
<p>${escape(t.intro)}</p>
<form method="post" action="${escape(form.action)}" novalidate>
<input type="hidden" name="ui_locales" value="${form.language}">
<fieldset><legend>${escape(t.method)}</legend>
${radio('method', 'bank', t.bank, method === 'bank')}
${radio('method', 'mobile', t.mobile, method === 'mobile')}
${radio('method', 'idcard', t.idcard, method === 'idcard')}
</fieldset>
<div style="margin-bottom:1.25rem">
<label class="field" for="hetu">${escape(t.hetu)}</label>
<p class="hint" id="hetu-hint">${escape(t.hint)}</p>
<input type="text" id="hetu" name="hetu" autocomplete="off" spellcheck="false" autocapitalize="characters" value="${escape(form.hetu ?? '')}" aria-describedby="hetu-hint${error ? ' hetu-error' : ''}"${error ? ' aria-invalid="true" autofocus' : ''} required>
${error ? `<p class="error" id="hetu-error">${escape(error)}</p>` : ''}
</div>
<fieldset><legend>${escape(t.level)}</legend>
${radio('level', 'high', t.high, level === 'high')}
${radio('level', 'substantial', t.substantial, level === 'substantial')}
</fieldset>
<div class="actions">
<button type="submit">${escape(t.submit)}</button>
<a href="${escape(form.abort)}">${escape(t.cancel)}</a>
</div>
</form>
</div>
</main>
</body>
</html>`;
}

const EXPIRED = {
  fi: { title: 'Tunnistautuminen vanheni', text: 'Tunnistautuminen vanheni tai sitä ei löytynyt.', again: 'Aloita uudelleen' },
  sv: { title: 'Identifieringen gick ut', text: 'Identifieringen gick ut eller hittades inte.', again: 'Börja om' },
  en: { title: 'The sign-in expired', text: 'The sign-in expired or was not found.', again: 'Start again' },
} as const;

/** Shown for an interaction that expired (ten minutes) or never existed. */
export function expiredPage(language: PageLanguage): string {
  const t = EXPIRED[language];
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(t.title)}</title>
<style>body{font-family:"Source Sans Pro",Arial,sans-serif;margin:0;padding:1rem;line-height:1.5;color:#1f2023}main{max-width:34rem;margin:0 auto}a{color:#2a6ebb}:focus-visible{outline:3px solid #1a99c7;outline-offset:2px}</style>
</head>
<body><main><h1>${escape(t.title)}</h1><p>${escape(t.text)}</p><p><a href="/?lang=${language}">${escape(t.again)}</a></p></main></body>
</html>`;
}
