import { describe, expect, it } from "vitest";
import { escapeCardText } from "../../../../api/commitments/escape-card-text";

const ZWSP = "\u200B";

describe("escapeCardText", () => {
  it("keeps an HTML injection as literal text", () => {
    expect(escapeCardText("<img src=x onerror=alert(1)>")).toBe("&lt;img src=x onerror=alert\\(1\\)&gt;");
  });

  it("keeps Markdown emphasis and a javascript: link as literal text", () => {
    expect(escapeCardText("**bold** [x](javascript:alert(1))")).toBe("\\*\\*bold\\*\\* \\[x\\]\\(javascript:alert\\(1\\)\\)");
  });

  it("escapes every inline marker, the backslash first", () => {
    expect(escapeCardText("a\\b_c~d`e*f")).toBe("a\\\\b\\_c\\~d\\`e\\*f");
    expect(escapeCardText("![pic](https://x.example/p.png)")).toMatch(/^\\!\\\[pic\\\]\\\(/);
  });

  it("escapes headings, list markers, numbered lists and quotes at the start of a line only", () => {
    expect(escapeCardText("# Title\n- item\n+ item\n= under\n12. first\n> quote")).toBe(
      "\\# Title\n\n\\- item\n\n\\+ item\n\n\\= under\n\n12\\. first\n\n&gt; quote",
    );
    expect(escapeCardText("Due 2025-03-10, e.g. 3.5 days - maybe + more #1!")).toBe("Due 2025-03-10, e.g. 3.5 days - maybe + more #1!");
  });

  it("neutralises mention tags and ampersands, including ones that look like entities", () => {
    expect(escapeCardText("Tom & Jerry <at>Ana</at> &lt;")).toBe("Tom &amp; Jerry &lt;at&gt;Ana&lt;/at&gt; &amp;lt;");
  });

  it("breaks automatic links to URLs, www addresses and e-mail addresses with an invisible space", () => {
    const out = escapeCardText("see https://evil.example/x, www.evil.com or me@corp.com");
    expect(out).toBe(`see https:${ZWSP}//evil${ZWSP}.example/x, www${ZWSP}.evil${ZWSP}.com or me@corp${ZWSP}.com`);
    expect(out).not.toMatch(/https:\/\/|www\.|\w\.com/);
  });

  it("stops card date macros from expanding", () => {
    expect(escapeCardText("{{DATE(2017-02-14T06:00:00Z, SHORT)}}")).toBe(`{${ZWSP}{DATE\\(2017-02-14T06:00:00Z, SHORT\\)}}`);
  });

  it("keeps line breaks as paragraphs, collapsing blank runs and dropping indentation", () => {
    expect(escapeCardText("first\r\n\r\n\r\n    second\rthird  \n")).toBe("first\n\nsecond\n\nthird");
  });

  it("drops control and bidi override characters", () => {
    expect(escapeCardText("\u202Egnp.exe\u0007 ok\u2066")).toBe(`gnp${ZWSP}.exe ok`);
  });

  it("leaves plain text untouched", () => {
    expect(escapeCardText("I will ask Sam for feedback on Friday")).toBe("I will ask Sam for feedback on Friday");
  });
});
