/**
 * Language tags the feeds may carry. RSS `<language>`, `xml:lang` and JSON
 * Feed `language` are read by validators and readers against ISO 639, so a
 * tag whose primary subtag is not a language code is not published at all.
 */

/** ISO 639-1 two-letter codes. */
const ISO_639_1 = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en ' +
    'eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ' +
    'ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ' +
    'ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st ' +
    'su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
  ).split(' '),
);

/** `en`, `zh-CN`, `zh-Hant-TW`, `fil`: a primary subtag, then subtags of 1 to 8 letters or digits. */
const TAG_SHAPE = /^([A-Za-z]{2,3})(?:-[A-Za-z0-9]{1,8})*$/;

/**
 * Whether a language tag is publishable: its shape is BCP 47's common form and
 * its primary subtag is an ISO 639-1 code, or three letters (ISO 639-2/3,
 * accepted by shape because that list is too long to carry here).
 */
export function isKnownLanguageTag(tag: string): boolean {
  const match = TAG_SHAPE.exec(tag);
  if (!match?.[1]) return false;
  const primary = match[1].toLowerCase();
  return primary.length === 3 || ISO_639_1.has(primary);
}
