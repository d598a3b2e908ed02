/** Nest injection token for the process's KeyRing (opened once at start with DATA_DIR). */
export const KEY_RING = Symbol('KEY_RING');
