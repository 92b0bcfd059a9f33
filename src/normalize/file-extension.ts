/** The file extension of a URL's path, lower case, which lead images and enclosures guess a missing type from. */
export function extensionOf(url: string): string | null {
  const path = url.split(/[?#]/)[0] ?? '';
  return /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? null;
}
