/**
 * The XSLT 1.0 stylesheet served at `/feed.xsl`. Every RSS document byline
 * writes references it, so a person who opens a feed URL in a browser sees a
 * readable page (title, source, date, summary, a link to an episode's audio
 * or video file, credit) and a hint on how to
 * subscribe, instead of raw XML. Feed readers ignore the reference.
 *
 * The stylesheet never outputs markup taken from the feed: `description` is
 * byline's HTML-escaped plain summary, and it is unescaped back to text here
 * (not with disable-output-escaping), so a summary cannot inject markup.
 */

/** The stylesheet text (UTF-8). Constant, so it can be cached for long. */
export const FEED_XSL = `<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
<xsl:output method="html" encoding="UTF-8" indent="yes"/>

<xsl:template name="replace">
  <xsl:param name="text"/>
  <xsl:param name="from"/>
  <xsl:param name="to"/>
  <xsl:choose>
    <xsl:when test="contains($text, $from)">
      <xsl:value-of select="substring-before($text, $from)"/>
      <xsl:value-of select="$to"/>
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="substring-after($text, $from)"/>
        <xsl:with-param name="from" select="$from"/>
        <xsl:with-param name="to" select="$to"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!-- Undoes the HTML escaping of a plain-text description; &amp; goes last. -->
<xsl:template name="unescape">
  <xsl:param name="text"/>
  <xsl:variable name="lt"><xsl:call-template name="replace"><xsl:with-param name="text" select="$text"/><xsl:with-param name="from" select="'&amp;lt;'"/><xsl:with-param name="to" select="'&lt;'"/></xsl:call-template></xsl:variable>
  <xsl:variable name="gt"><xsl:call-template name="replace"><xsl:with-param name="text" select="string($lt)"/><xsl:with-param name="from" select="'&amp;gt;'"/><xsl:with-param name="to" select="'&gt;'"/></xsl:call-template></xsl:variable>
  <xsl:variable name="quot"><xsl:call-template name="replace"><xsl:with-param name="text" select="string($gt)"/><xsl:with-param name="from" select="'&amp;quot;'"/><xsl:with-param name="to" select="'&quot;'"/></xsl:call-template></xsl:variable>
  <xsl:variable name="apos"><xsl:call-template name="replace"><xsl:with-param name="text" select="string($quot)"/><xsl:with-param name="from" select="'&amp;#39;'"/><xsl:with-param name="to">'</xsl:with-param></xsl:call-template></xsl:variable>
  <xsl:call-template name="replace"><xsl:with-param name="text" select="string($apos)"/><xsl:with-param name="from" select="'&amp;amp;'"/><xsl:with-param name="to" select="'&amp;'"/></xsl:call-template>
</xsl:template>

<!-- A link only to http(s) targets; anything else is shown as text. -->
<xsl:template name="link">
  <xsl:param name="href"/>
  <xsl:param name="label"/>
  <xsl:choose>
    <xsl:when test="starts-with($href, 'https://') or starts-with($href, 'http://')"><a href="{$href}"><xsl:value-of select="$label"/></a></xsl:when>
    <xsl:otherwise><xsl:value-of select="$label"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<!--
  A link to the item's audio or video file, labelled as the front page does
  ("Listen (MP3, 24 MB)", "Watch (MP4)"). RSS gives the lead image as the
  enclosure when there is no such file, so only audio/video types count.
-->
<xsl:template match="enclosure">
  <xsl:variable name="type" select="normalize-space(@type)"/>
  <xsl:variable name="subtype">
    <xsl:variable name="raw" select="substring-after($type, '/')"/>
    <xsl:choose>
      <xsl:when test="starts-with($raw, 'x-')"><xsl:value-of select="substring($raw, 3)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$raw"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="format">
    <xsl:choose>
      <xsl:when test="$type = 'audio/mpeg' or $type = 'audio/mp3'">MP3</xsl:when>
      <xsl:when test="$type = 'audio/mp4' or $type = 'audio/x-m4a'">M4A</xsl:when>
      <xsl:when test="$type = 'video/quicktime'">MOV</xsl:when>
      <xsl:when test="string-length($subtype) &gt;= 2 and string-length($subtype) &lt;= 5 and translate($subtype, 'abcdefghijklmnopqrstuvwxyz0123456789', '') = ''">
        <xsl:value-of select="translate($subtype, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"/>
      </xsl:when>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="bytes" select="number(@length)"/>
  <xsl:variable name="size">
    <xsl:choose>
      <xsl:when test="not($bytes &gt; 0)"/>
      <xsl:when test="$bytes &gt;= 10000000000"><xsl:value-of select="round($bytes div 1000000000)"/> GB</xsl:when>
      <xsl:when test="$bytes &gt;= 1000000000"><xsl:value-of select="round($bytes div 100000000) div 10"/> GB</xsl:when>
      <xsl:when test="$bytes &gt;= 10000000"><xsl:value-of select="round($bytes div 1000000)"/> MB</xsl:when>
      <xsl:when test="$bytes &gt;= 1000000"><xsl:value-of select="round($bytes div 100000) div 10"/> MB</xsl:when>
      <xsl:when test="$bytes &gt;= 10000"><xsl:value-of select="round($bytes div 1000)"/> kB</xsl:when>
      <xsl:when test="$bytes &gt;= 1000"><xsl:value-of select="round($bytes div 100) div 10"/> kB</xsl:when>
      <xsl:otherwise><xsl:value-of select="$bytes"/> bytes</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="details">
    <xsl:value-of select="$format"/>
    <xsl:if test="string($format) != '' and string($size) != ''">, </xsl:if>
    <xsl:value-of select="$size"/>
  </xsl:variable>
  <xsl:variable name="label">
    <xsl:choose>
      <xsl:when test="starts-with($type, 'video/')">Watch</xsl:when>
      <xsl:otherwise>Listen</xsl:otherwise>
    </xsl:choose>
    <xsl:if test="string($details) != ''"> (<xsl:value-of select="$details"/>)</xsl:if>
  </xsl:variable>
  <p class="enclosure"><xsl:call-template name="link"><xsl:with-param name="href" select="string(@url)"/><xsl:with-param name="label" select="string($label)"/></xsl:call-template></p>
</xsl:template>

<xsl:template match="/">
  <html>
    <xsl:if test="rss/channel/language"><xsl:attribute name="lang"><xsl:value-of select="rss/channel/language"/></xsl:attribute></xsl:if>
    <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <title><xsl:value-of select="rss/channel/title"/> (feed)</title>
      <style>
        :root { color-scheme: light dark; }
        body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
          margin: 0 auto; max-width: 44rem; padding: 1rem; overflow-wrap: anywhere; }
        .about { border: 1px solid #8884; border-radius: .5rem; padding: .5rem .75rem; }
        .about code { word-break: break-all; }
        article { border-bottom: 1px solid #8884; padding: .75rem 0; }
        article h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
        .meta, .credit { opacity: .75; font-size: .9rem; }
        .credit p { margin: .1rem 0; }
      </style>
    </head>
    <body>
      <header>
        <h1><xsl:call-template name="link"><xsl:with-param name="href" select="string(rss/channel/link)"/><xsl:with-param name="label" select="string(rss/channel/title)"/></xsl:call-template></h1>
        <p><xsl:value-of select="rss/channel/description"/></p>
        <p class="about">This is a web feed. To subscribe, copy this address into your feed reader:
          <code><xsl:value-of select="rss/channel/atom:link[@rel='self']/@href"/></code></p>
      </header>
      <main>
        <xsl:for-each select="rss/channel/item">
          <article>
            <h2><xsl:call-template name="link"><xsl:with-param name="href" select="string(link)"/><xsl:with-param name="label" select="string(title)"/></xsl:call-template></h2>
            <div class="meta"><xsl:value-of select="source"/> · <xsl:value-of select="pubDate"/></div>
            <xsl:if test="string(description) != '' and not(contains(description, '&lt;div class=&quot;byline-credit&quot;'))">
              <p><xsl:call-template name="unescape"><xsl:with-param name="text" select="string(description)"/></xsl:call-template></p>
            </xsl:if>
            <xsl:apply-templates select="enclosure[starts-with(normalize-space(@type), 'audio/') or starts-with(normalize-space(@type), 'video/')][1]"/>
            <div class="credit">
              <p>Source: <xsl:value-of select="source"/></p>
              <p>Original: <xsl:call-template name="link"><xsl:with-param name="href" select="string(link)"/><xsl:with-param name="label" select="string(link)"/></xsl:call-template></p>
              <xsl:if test="dc:rights"><p><xsl:value-of select="dc:rights"/></p></xsl:if>
            </div>
          </article>
        </xsl:for-each>
      </main>
    </body>
  </html>
</xsl:template>
</xsl:stylesheet>
`;
