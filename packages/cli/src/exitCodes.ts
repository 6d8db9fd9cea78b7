/** Exit codes shared by every command: 0 clean, 1 problems found, 2 could not run. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
