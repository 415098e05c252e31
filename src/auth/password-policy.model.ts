// What a password must be, after NIST SP 800-63B-4 (section 3.1.1.2): a password that is the only
// factor has at least 15 characters (counted as Unicode code points after NFKC normalisation)
// and up to 128, any characters, spaces included, and no composition rules; it is refused when
// it is a commonly used or expected one: on a list of common passwords (zxcvbn's, about 49,000),
// one character or a short pattern repeated, a run of consecutive characters, or mostly the
// service's name or the person's own name or email. Pure.
import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_LENGTH = { min: 15, max: 128 } as const;

export type PasswordProblem = "TOO_SHORT" | "TOO_LONG" | "TOO_COMMON";

let common: Set<string> | null = null;
/** The list, loaded on first use (it is large). */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common;
}

/** One unit repeated ("aaaaaaaa…", "abcabcabc…", "passwordpassword"). */
function isRepetition(text: string): boolean {
  const chars = [...text];
  for (let unit = 1; unit <= chars.length / 2; unit++) {
    if (chars.length % unit !== 0) continue;
    const head = chars.slice(0, unit).join("");
    if (head.repeat(chars.length / unit) === text) return true;
  }
  return false;
}

/** Mostly consecutive characters, up or down ("123456789012345", "abcdefghijklmno", "9876543210…"). */
function isSequential(text: string): boolean {
  const codes = [...text].map((c) => c.codePointAt(0)!);
  let inRun = 0;
  for (let i = 1; i < codes.length; i++) {
    const step = codes[i]! - codes[i - 1]!;
    // 9 -> 0 continues a run of digits ("...7890123").
    if (Math.abs(step) === 1 || (codes[i - 1] === 57 && codes[i] === 48) || (codes[i - 1] === 48 && codes[i] === 57)) inRun += 1;
  }
  return inRun >= codes.length - 2;
}

/** What is left once the given words are taken out: too little means the password is mostly them. */
function withoutWords(text: string, words: string[]): string {
  let left = text;
  for (const word of words) if (word.length >= 3) left = left.split(word).join("");
  return left;
}

/**
 * The first problem with a password, or null when it may be used. `personal` holds what an
 * attacker who knows the person would try first: their names and email.
 */
export function passwordProblem(password: string, personal: string[] = []): PasswordProblem | null {
  const normalised = password.normalize("NFKC");
  const length = [...normalised].length;
  if (length < PASSWORD_LENGTH.min) return "TOO_SHORT";
  if (length > PASSWORD_LENGTH.max) return "TOO_LONG";
  const lower = normalised.toLowerCase();
  const bare = lower.replace(/[\s\p{P}\p{S}]+/gu, "");
  const list = commonPasswords();
  if (list.has(lower) || list.has(bare) || list.has(bare.replace(/\d+$/u, "")) || list.has(bare.replace(/^\d+/u, ""))) return "TOO_COMMON";
  if (isRepetition(bare) || isSequential(bare)) return "TOO_COMMON";
  const words = ["legami", "password", ...personal.flatMap((p) => p.toLowerCase().split(/[\s@.+_-]+/u))].filter((w) => w.length >= 3);
  const left = withoutWords(bare, words);
  if ([...left].length < 8 || isRepetition(left) || isSequential(left)) return "TOO_COMMON";
  return null;
}
