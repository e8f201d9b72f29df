/** What a plugin thread's phase resolves to when the plugin ran past its time limit (the thread is then ended). */
export const TIMED_OUT = Symbol('timed out');
