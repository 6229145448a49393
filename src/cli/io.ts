// What the CLI talks to: its output streams, the files it reads, and where the rank tables are. Passed in, so one
// run is a plain function call (the entry point wires it to the process).

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => Uint8Array;
  readStdin: () => Uint8Array;
  /** A file's modification day (YYYY-MM-DD, UTC), the date an imported price file was "checked"; optional. */
  fileDate?: (path: string) => string | undefined;
  tableDir: string;
}

/** Exit status when every file was counted but some are over a budget; distinct from errors (1) and usage (2). */
export const EXIT_OVER_BUDGET = 3;
