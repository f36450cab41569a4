/**
 * Redact output line by line before it is written: a secret split across two chunks of a pipe
 * would slip past a redactor applied per chunk. Text without a newline is held back (up to 64 KB)
 * until its line is complete or the stream ends.
 */
const MAX_PENDING = 65_536;

export interface LineRedactor {
  push(text: string): void;
  flush(): void;
}

export function lineRedactor(write: (redacted: string) => void, redact: (s: string) => string): LineRedactor {
  let pending = '';
  const out = (raw: string) => {
    if (raw !== '') write(redact(raw));
  };
  return {
    push(text: string) {
      const all = pending + text;
      const cut = all.lastIndexOf('\n');
      if (cut === -1 && all.length < MAX_PENDING) {
        pending = all;
        return;
      }
      const upTo = cut === -1 ? all.length : cut + 1;
      out(all.slice(0, upTo));
      pending = all.slice(upTo);
    },
    flush() {
      out(pending);
      pending = '';
    },
  };
}
