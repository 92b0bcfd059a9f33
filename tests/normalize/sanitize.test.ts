/** The sanitizer keeps structure, fixes lazy images, drops pixels and absolutizes URLs. */
import { describe, expect, it } from 'vitest';
import { htmlToText, largestSrcsetCandidate, sanitizeContent } from '../../src/normalize/index.js';

const BASE = 'https://blog.example.com/posts/1';

describe('sanitizeContent keeps structure', () => {
  it.each([
    ['<p>One</p><p>Two<br>three</p>', '<p>One</p><p>Two<br />three</p>'],
    ['<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>', '<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>'],
    ['<ul><li>a</li><li>b</li></ul><ol start="3"><li>c</li></ol>', '<ul><li>a</li><li>b</li></ul><ol start="3"><li>c</li></ol>'],
    ['<dl><dt>t</dt><dd>d</dd></dl>', '<dl><dt>t</dt><dd>d</dd></dl>'],
    [
      '<table><caption>c</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
      '<table><caption>c</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
    ],
    ['<pre><code>let a = 1 &lt; 2;\n  b();</code></pre>', '<pre><code>let a = 1 &lt; 2;\n  b();</code></pre>'],
    ['<blockquote cite="/src">q</blockquote>', '<blockquote cite="https://blog.example.com/src">q</blockquote>'],
    [
      '<figure><img src="/i.png" alt="A cat" title="t" width="640" height="480"><figcaption>Cap</figcaption></figure>',
      '<figure><img src="https://blog.example.com/i.png" alt="A cat" title="t" width="640" height="480" /><figcaption>Cap</figcaption></figure>',
    ],
    [
      '<p><em>e</em><strong>s</strong><b>b</b><i>i</i><u>u</u><s>s</s><sub>1</sub><sup>2</sup><small>sm</small><mark>m</mark></p>',
      '<p><em>e</em><strong>s</strong><b>b</b><i>i</i><u>u</u><s>s</s><sub>1</sub><sup>2</sup><small>sm</small><mark>m</mark></p>',
    ],
    [
      '<p><abbr title="Large language model">LLM</abbr> <cite>c</cite> <q>q</q> <time datetime="2026-01-01">Jan</time> <del>d</del><ins>i</ins></p>',
      '<p><abbr title="Large language model">LLM</abbr> <cite>c</cite> <q>q</q> <time datetime="2026-01-01">Jan</time> <del>d</del><ins>i</ins></p>',
    ],
    ['<hr>', ''],
    ['<p>a</p><hr><p>b</p>', '<p>a</p><hr /><p>b</p>'],
    ['<section><p>x</p></section><article>y</article>', '<div><p>x</p></div><div>y</div>'],
    ['<strike>old</strike><tt>mono</tt>', '<s>old</s><code>mono</code>'],
    ['<span class="x" id="y" style="color:red">plain</span>', 'plain'],
    ['<p class="lead" id="p1" data-x="1">t</p>', '<p>t</p>'],
    ['<font face="Arial">f</font><center>c</center>', 'f<div>c</div>'],
    ['<p dir="rtl" lang="ar">مرحبا</p>', '<p dir="rtl" lang="ar">مرحبا</p>'],
    ['<p>中文内容，保留。</p>', '<p>中文内容，保留。</p>'],
    ['<p>AT&amp;T &lt;tag&gt; &copy; &#8220;q&#8221;</p>', '<p>AT&amp;T &lt;tag&gt; © “q”</p>'],
    ['<picture><source srcset="/big.webp" type="image/webp"><img src="/small.jpg" alt="p"></picture>', '<img src="https://blog.example.com/small.jpg" alt="p" />'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });

  it('turns text without markup into paragraphs', () => {
    expect(sanitizeContent('First line\nsecond line\n\nNext paragraph & more <3', BASE)).toBe(
      '<p>First line<br />second line</p><p>Next paragraph &amp; more &lt;3</p>',
    );
  });

  it('returns "" when nothing visible is left', () => {
    for (const input of ['', '   ', '<p></p>', '<p> <br> </p>', '<script>x</script>', '<div><iframe src="https://x.example/"></iframe></div>', '<img src="data:x">']) {
      expect(sanitizeContent(input, BASE)).toBe('');
    }
  });

  it('keeps what a form holds but not its controls, even when the form is never closed', () => {
    const post =
      '<p>Intro</p><form action="/subscribe"><label>Email</label><input name="e"><button>Join</button><select><option>x</select>' +
      '<p>After the form, the article goes on.</p>';
    expect(sanitizeContent(post, BASE)).toBe('<p>Intro</p>Email<p>After the form, the article goes on.</p>');
    expect(sanitizeContent('<div><form><p>x</div>y', BASE)).toBe('<div><p>x</p></div>y');
    expect(htmlToText('a<form>b</form>c<fieldset>d</fieldset>e')).toBe('a b c d e');
  });

  it('keeps content that is only an image', () => {
    expect(sanitizeContent('<img src="https://cdn.example.com/a.jpg">', BASE)).toBe('<img src="https://cdn.example.com/a.jpg" />');
  });

  it('unwraps a CDATA section left in the value', () => {
    expect(sanitizeContent('<![CDATA[<p>Hi</p>]]>', BASE)).toBe('<p>Hi</p>');
  });
});

describe('sanitizeContent links', () => {
  it.each([
    ['<a href="/about">x</a>', '<a href="https://blog.example.com/about">x</a>'],
    ['<a href="next">x</a>', '<a href="https://blog.example.com/posts/next">x</a>'],
    ['<a href="../up">x</a>', '<a href="https://blog.example.com/up">x</a>'],
    ['<a href="#fn1">x</a>', '<a href="https://blog.example.com/posts/1#fn1">x</a>'],
    ['<a href="//cdn.example.com/f">x</a>', '<a href="https://cdn.example.com/f">x</a>'],
    ['<a href="https://other.example/a?b=1&amp;c=2">x</a>', '<a href="https://other.example/a?b=1&amp;c=2">x</a>'],
    ['<a href="mailto:tips@example.com">mail</a>', '<a href="mailto:tips@example.com">mail</a>'],
    ['<a href="https://x.example/" target="_blank" rel="opener" title="T">x</a>', '<a href="https://x.example/" title="T">x</a>'],
    ['<a href="tel:+123">call</a>', 'call'],
    ['<a name="anchor"></a><p>t</p>', '<p>t</p>'],
    ['<a href="/big"><picture><img src="/a.jpg"></picture></a>', '<a href="https://blog.example.com/big"><img src="https://blog.example.com/a.jpg" /></a>'],
    ['<a href="/big"><span><img src="/a.jpg"></span></a>', '<a href="https://blog.example.com/big"><img src="https://blog.example.com/a.jpg" /></a>'],
    ['<a href="/x"> <br> </a><p>t</p>', '<p>t</p>'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });

  it('drops relative URLs it cannot make absolute when there is no base', () => {
    expect(sanitizeContent('<p><a href="/about">about</a><img src="/i.png"><img src="https://cdn.example.com/ok.png"></p>', null)).toBe(
      '<p>about<img src="https://cdn.example.com/ok.png" /></p>',
    );
  });
});

describe('sanitizeContent images', () => {
  it.each([
    ['<img data-src="/real.jpg" src="data:image/gif;base64,R0lGOD">', '<img src="https://blog.example.com/real.jpg" />'],
    ['<img data-lazy-src="/real.jpg" src="/placeholder.gif">', '<img src="https://blog.example.com/real.jpg" />'],
    ['<img data-original="https://cdn.example.com/o.jpg">', '<img src="https://cdn.example.com/o.jpg" />'],
    ['<img srcset="/s.jpg 320w, /l.jpg 1280w, /m.jpg 640w" alt="a">', '<img src="https://blog.example.com/l.jpg" alt="a" />'],
    ['<img srcset="/a.jpg, /b.jpg 2x, /c.jpg 1.5x">', '<img src="https://blog.example.com/b.jpg" />'],
    ['<img src="data:image/gif;base64,R0lGOD" data-srcset="/x.jpg 100w, /y.jpg 900w">', '<img src="https://blog.example.com/y.jpg" />'],
    ['<img src="/main.jpg" srcset="/huge.jpg 4000w">', '<img src="https://blog.example.com/main.jpg" />'],
    ['<img src="/i.jpg" width="100%" height="auto">', '<img src="https://blog.example.com/i.jpg" width="100%" />'],
    ['<img src="/i.jpg" loading="lazy" decoding="async" class="wp-image">', '<img src="https://blog.example.com/i.jpg" />'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });

  it.each([
    '<img src="https://stats.example.com/p.gif" width="1" height="1">',
    '<img src="https://stats.example.com/p.gif" width="1px" height="1px">',
    '<img src="https://stats.example.com/p.gif" width="0" height="0">',
    '<img src="http://feeds.feedburner.com/~r/Example/~4/abc123">',
    '<img src="https://pixel.wp.com/b.gif?host=example.com">',
    '<img src="https://stats.wordpress.com/b.gif?v=1">',
    '<img src="https://www.google-analytics.com/collect?v=1">',
    '<img src="https://example.com/wp-content/pixel.gif">',
    '<a href="http://feeds.feedburner.com/~ff/Example?a=x"><img src="http://feeds.feedburner.com/~ff/Example?d=y" border="0"></a>',
  ])('drops the tracking pixel in %j', (input) => {
    expect(sanitizeContent(`<p>Body</p>${input}`, BASE)).toBe('<p>Body</p>');
  });

  it('keeps a real image declared 1 pixel wide but tall', () => {
    expect(sanitizeContent('<img src="/rule.png" width="1" height="400">', BASE)).toBe(
      '<img src="https://blog.example.com/rule.png" width="1" height="400" />',
    );
  });
});

describe('largestSrcsetCandidate', () => {
  it.each([
    ['a.jpg 1x, b.jpg 2x', 'b.jpg'],
    ['a.jpg 100w,b.jpg 50w', 'a.jpg'],
    ['https://img.example/w_300,h_200/a.jpg 300w, https://img.example/w_900,h_600/a.jpg 900w', 'https://img.example/w_900,h_600/a.jpg'],
    ['only.jpg', 'only.jpg'],
    ['  ', null],
    ['a.jpg, b.jpg 3x', 'b.jpg'],
    // Per the HTML spec a comma inside a URL does not split it; only trailing commas end one.
    ['a.jpg,b.jpg 3x', 'a.jpg,b.jpg'],
    ['a.jpg,, b.jpg 0.5x', 'a.jpg'],
  ] as const)('%j', (srcset, expected) => {
    expect(largestSrcsetCandidate(srcset)).toBe(expected);
  });
});
