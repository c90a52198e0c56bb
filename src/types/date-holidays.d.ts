// date-holidays-parser ships its types as an ambient module declaration that its package.json
// "exports" do not point to, so TypeScript's Node resolution does not find them: referenced here.
/// <reference path="../../node_modules/date-holidays-parser/types/index.d.ts" />

// date-holidays' data module (read by a test, to check the file the calendar reads against it).
declare module 'date-holidays/data' {
  export const data: { holidays: Record<string, unknown>; [key: string]: unknown };
}
