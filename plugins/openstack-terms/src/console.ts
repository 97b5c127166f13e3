/**
 * The site console's longest line: the console refuses longer ones itself, with its reason, as a
 * normal answer, and the browser's terminal stops typing there.
 *
 * @public
 */
export const CONSOLE_MAX_LINE_LENGTH = 1000;
