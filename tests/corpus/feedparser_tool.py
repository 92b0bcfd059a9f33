"""Python feedparser as a test-time reference for byline's corpus tests.

One process handles a whole batch: the request is one JSON document on stdin,
the answer one JSON document on stdout. Modes (argv[1]):

  realworld  parse each listed file with feedparser and report its entries
  cases      read the Description/Expect/Header comment of feedparser test files
  evaluate   evaluate Expect expressions against byline's result, shaped like
             feedparser's and built by the TypeScript side (feedparser_expect.py)

Only the standard library and feedparser are used.
"""
import ast
import codecs
import json
import re
import sys
import time

from feedparser_expect import evaluate


def parsed_iso(value):
    """A feedparser *_parsed struct_time as an ISO string (UTC), or None."""
    if not value:
        return None
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', value)


def realworld(request):
    import feedparser
    results = []
    for item in request['files']:
        with open(item['path'], 'rb') as handle:
            data = handle.read()
        # A content type is given with the location: headers without one make feedparser fall back to
        # ISO-8859-1 (RFC 3023), which is not what it does with the same bytes read from a file.
        headers = {'content-location': item['url'], 'content-type': 'application/xml'}
        parsed = feedparser.parse(data, response_headers=headers)
        entries = []
        for entry in parsed.entries:
            detail = entry.get('title_detail') or {}
            entries.append({
                'title': entry.get('title'),
                'titleType': detail.get('type'),
                'link': entry.get('link'),
                'id': entry.get('id'),
                'published': parsed_iso(entry.get('published_parsed')),
                'updated': parsed_iso(entry.get('updated_parsed')),
            })
        results.append({
            'key': item['key'],
            'version': parsed.get('version', ''),
            'bozo': bool(parsed.get('bozo')),
            'encoding': parsed.get('encoding'),
            'entries': entries,
        })
    return {'results': results}


def decode_case(data):
    """Text of a test file, for reading its comment (wide encodings included)."""
    for bom, codec in ((codecs.BOM_UTF32_LE, 'utf-32'), (codecs.BOM_UTF32_BE, 'utf-32'),
                       (codecs.BOM_UTF8, 'utf-8-sig'), (codecs.BOM_UTF16_LE, 'utf-16'),
                       (codecs.BOM_UTF16_BE, 'utf-16')):
        if data.startswith(bom):
            return data.decode(codec, 'replace')
    head = data[:4]
    layouts = {b'\x00\x00\x00<': 'utf-32-be', b'<\x00\x00\x00': 'utf-32-le'}
    if head in layouts:
        return data.decode(layouts[head], 'replace')
    if head[:1] == b'\x00' and head[1:2] != b'\x00':
        return data.decode('utf-16-be', 'replace')
    if head[1:2] == b'\x00' and head[:1] != b'\x00':
        return data.decode('utf-16-le', 'replace')
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        return data.decode('latin-1')


def compared_literals(expression):
    """Every string a comparison in the expression compares against (constants folded)."""
    found = []
    for node in ast.walk(ast.parse(expression, mode='eval')):
        if not isinstance(node, ast.Compare):
            continue
        for operand in [node.left] + list(node.comparators):
            if any(isinstance(sub, ast.Name) for sub in ast.walk(operand)):
                continue
            try:
                value = eval(compile(ast.Expression(operand), '<literal>', 'eval'), {'__builtins__': {}})
            except Exception:
                continue
            if isinstance(value, str) and value not in found:
                found.append(value)
    return found


def cases(request):
    results = []
    for item in request['files']:
        with open(item['path'], 'rb') as handle:
            text = decode_case(handle.read())
        comment = re.search(r'<!--(.*?)-->', text, re.S)
        body = comment.group(1) if comment else ''
        expect = re.search(r'Expect:\s*(.*?)\s*$', body, re.S)
        description = re.search(r'Description:\s*(.*?)\s*$', body, re.M)
        headers = dict((m.group(1).strip().lower(), m.group(2).strip())
                       for m in re.finditer(r'^\s*Header:\s*([^:]+):\s*(.*?)\s*$', body, re.M))
        result = {'key': item['key'], 'expect': None, 'description': description.group(1) if description else '',
                  'headers': headers, 'literals': [], 'error': None}
        if expect:
            result['expect'] = expect.group(1)
            try:
                result['literals'] = compared_literals(result['expect'])
            except SyntaxError as error:
                result['error'] = 'syntax: %s' % error
        else:
            result['error'] = 'no Expect line'
        results.append(result)
    return {'results': results}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ''
    handlers = {'realworld': realworld, 'cases': cases, 'evaluate': evaluate}
    if mode not in handlers:
        sys.stderr.write('usage: feedparser_tool.py realworld|cases|evaluate < request.json\n')
        return 2
    request = json.load(sys.stdin)
    json.dump(handlers[mode](request), sys.stdout, ensure_ascii=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
