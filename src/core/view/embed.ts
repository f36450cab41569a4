/**
 * Putting data and code into one HTML file safely. JSON goes into a
 * `<script type="application/json">` element, where the HTML parser ends the element at the first
 * `</script` whatever JSON says; escaping `<`, `>` and `&` as \u003c… makes every string inert
 * (`</script>`, `<!--`) while `JSON.parse` reads back the same value. U+2028/2029 are escaped so
 * the text is also a valid JavaScript literal.
 */

export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Code inside `<script>`: a literal `</script` in it (a string in a bundled library) would end the element. */
export function embedScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** CSS inside `<style>`: only `</style` can end it. */
export function embedStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
