// Its own module so that the plugin kit's types (testDetector's options) carry no Node types.

/** What a scan looks at: the whole workspace, or only the files of a change. */
export type ScanScope = { mode: 'full' } | { mode: 'staged' } | { mode: 'since'; ref: string } | { mode: 'files'; files: readonly string[] };
