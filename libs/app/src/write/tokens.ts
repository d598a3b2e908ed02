/** DI tokens of the application layer (ports have theirs in libs/core). */
export const APP_CONFIG = Symbol('APP_CONFIG');
