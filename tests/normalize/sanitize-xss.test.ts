/**
 * The sanitizer against a table of XSS vectors. Each output is checked twice:
 * by string patterns, and by re-parsing it and inspecting every element and
 * attribute a browser would see.
 */
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { sanitizeContent } from '../../src/normalize/index.js';

const BASE = 'https://blog.example.com/posts/1';

const VECTORS: readonly string[] = [
  // script in every spelling
  '<script>alert(1)</script>',
  '<SCRIPT>alert(1)</SCRIPT>',
  '<ScRiPt>alert(1)</sCrIpT>',
  '<script src="https://evil.example/x.js"></script>',
  '<script/src="//evil.example/x.js"></script>',
  '<script type="text/javascript">alert(1)</script>',
  '<script\u0000>alert(1)</script>',
  '<scr\u0000ipt>alert(1)</scr\u0000ipt>',
  '<scr<script>ipt>alert(1)</script>',
  '<<script>script>alert(1)<</script>/script>',
  '<script>alert(1)',
  '<div><script>alert(1)',
  '<script>/*</script><script>*/alert(1)</script>',
  '<scri\npt>alert(1)</scri\npt>',
  '"><script>alert(1)</script>',
  '<img """><script>alert(1)</script>">',
  '<!--<script>alert(1)</script>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<xmp><script>alert(1)</script></xmp>',
  '<template><script>alert(1)</script></template>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  // event handlers
  '<img src=x onerror=alert(1)>',
  '<IMG SRC=x ONERROR=alert(1)>',
  '<img src="https://ok.example/i.png" onerror="alert(1)"/>',
  '<img src=x onerror\t=alert(1)>',
  '<img/src=x/onerror=alert(1)>',
  '<img src="https://ok.example/i.png" onload="alert(1)">',
  '<body onload=alert(1)>text</body>',
  '<div onmouseover="alert(1)">hover</div>',
  '<p onclick=alert(1)>x</p>',
  '<a href="https://ok.example/" onclick="alert(1)">x</a>',
  '<details open ontoggle=alert(1)>x</details>',
  '<input onfocus=alert(1) autofocus>',
  '<select onfocus=alert(1) autofocus><option>x</option></select>',
  '<textarea onfocus=alert(1) autofocus>x</textarea>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<frameset onload=alert(1)>',
  '<img src="x onerror=alert(1)',
  // javascript: in many encodings
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JAVASCRIPT:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="java&#10;script:alert(1)">x</a>',
  '<a href="jav&#x0D;ascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="java\nscript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="javascript&#58;alert(1)">x</a>',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="javascript://%0Aalert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<img src="javascript:alert(1)">',
  '<img src="jav&#x09;ascript:alert(1)">',
  '<img srcset="javascript:alert(1) 1x">',
  '<img data-src="javascript:alert(1)">',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  '<blockquote cite="javascript:alert(1)">x</blockquote>',
  // data: URLs
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="DaTa:text/html,<script>alert(1)</script>">x</a>',
  '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
  '<img src="data:image/png;base64,iVBORw0KGgo=">',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  // svg and math tricks
  '<svg onload=alert(1)>',
  '<svg/onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<math href="javascript:alert(1)">x</math>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  // CSS
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  '<p style="behavior:url(x.htc)">x</p>',
  '<a href="https://ok.example/" style="x:expression(alert(1))">x</a>',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  // navigation and document tricks
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<iframe src="https://evil.example/">',
  '<object data="javascript:alert(1)"></object>',
  '<object type="text/x-scriptlet" data="https://evil.example/x"></object>',
  '<embed src="javascript:alert(1)">',
  '<applet code="x.class"></applet>',
  '<form action="javascript:alert(1)"><input type="submit"></form>',
  '<form><button formaction="javascript:alert(1)">x</button></form>',
  '<isindex action="javascript:alert(1)" type=image>',
];

const FORBIDDEN_TAGS = /<\/?\s*(script|iframe|form|svg|math|style|object|embed|applet|meta|base|link|input|button|textarea|select|frame|frameset|template|noscript|xmp|isindex|body)\b/i;

/** Every element and attribute of `html` as an HTML parser sees them. */
function elementsOf(html: string): { name: string; attribs: Record<string, string> }[] {
  const elements: { name: string; attribs: Record<string, string> }[] = [];
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    onOpenTag: (name, attribs) => elements.push({ name, attribs: { ...attribs } }),
  });
  return elements;
}

describe('sanitizeContent against XSS vectors', () => {
  it('has a table of at least 60 vectors', () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(VECTORS.map((vector) => [vector] as const))('neutralizes %j', (vector) => {
    const output = sanitizeContent(vector, BASE);
    expect(output).not.toMatch(/<script/i);
    expect(output).not.toMatch(FORBIDDEN_TAGS);
    expect(output).not.toMatch(/\son\w+\s*=/i);
    expect(output).not.toMatch(/javascript:|vbscript:/i);
    expect(output).not.toMatch(/(?:href|src|srcset|cite)\s*=\s*["']?\s*data:/i);
    expect(output).not.toMatch(/\sstyle\s*=/i);
    expect(output).not.toMatch(/expression\s*\(/i);

    for (const element of elementsOf(output)) {
      expect(element.name).not.toMatch(/^(script|iframe|form|svg|math|style|object|embed|meta|base|link)$/);
      for (const [name, value] of Object.entries(element.attribs)) {
        expect(name).not.toMatch(/^on/i);
        expect(name).not.toBe('style');
        if (['href', 'src', 'cite', 'srcset', 'action', 'formaction', 'background', 'data'].includes(name)) {
          // What a browser would navigate to: only absolute http(s) or mailto.
          expect(value).toMatch(/^(https?:\/\/|mailto:)/);
        }
      }
    }
  });

  it('keeps the text of a neutralized link', () => {
    expect(sanitizeContent('<p><a href="javascript:alert(1)">read more</a></p>', BASE)).toBe('<p>read more</p>');
  });

  it('resolves links against its own base, never a <base> in the content', () => {
    expect(sanitizeContent('<base href="https://evil.example/"><a href="/x">x</a>', BASE)).toBe(
      '<a href="https://blog.example.com/x">x</a>',
    );
  });
});
