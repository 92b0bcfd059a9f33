"""Python feedparser as a test-time reference for byline's corpus tests.

One process handles a whole batch: the request is one JSON document on stdin,
the answer one JSON document on stdout. Modes (argv[1]):

  realworld  parse each listed file with feedparser and report its entries
  cases      read the Description/Expect/Header comment of feedparser test files
  evaluate   evaluate Expect expressions against byline's result, shaped like
             feedparser's and built by the TypeScript side

Only the standard library and feedparser are used.
"""
import ast
import calendar
import codecs
import json
import re
import sys
import time

# Names that only feedparser has: a conjunct made of nothing else is dropped
# (and recorded) before the rest of the expectation is evaluated.
FEEDPARSER_ONLY = {'bozo', 'bozo_exception', 'version', 'namespaces', 'headers', 'href', 'status', 'feedparser'}


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
        parsed = feedparser.parse(data, response_headers={'content-location': item['url']})
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


class NotModelled(Exception):
    """The expectation reads something byline's result does not correspond to."""

    def __init__(self, key):
        Exception.__init__(self, key)
        self.key = key


class Shaped(dict):
    """A feedparser-like dict: keys absent here are keys byline does not model."""

    def __init__(self, values, path):
        dict.__init__(self, values)
        self.path = path

    def __getitem__(self, key):
        if not dict.__contains__(self, key):
            raise NotModelled('%s.%s' % (self.path, key))
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        return self[key]

    def __contains__(self, key):
        return self[key] is not None

    def __getattr__(self, key):
        if key.startswith('__'):
            raise AttributeError(key)
        return self[key]


class Compared(str):
    """A byline value compared through the projection of its kind (text, html, url, author, charset)."""

    def __new__(cls, value, kind, projections, equivalents):
        text = str.__new__(cls, value)
        text.kind = kind
        text.projections = projections
        text.equivalents = equivalents
        return text

    def __eq__(self, other):
        if not isinstance(other, str):
            return False
        if self.kind == 'charset':
            return other.lower() in self.equivalents
        projected = self.projections.get(other, {}).get(self.kind)
        if projected is None:
            return str.__eq__(self, other)
        if projected.get('notApplicable'):
            raise NotModelled('policy:' + projected['notApplicable'])
        return str.__eq__(self, projected['value'])

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


def time_tuple(iso):
    parsed = time.strptime(iso[:19], '%Y-%m-%dT%H:%M:%S')
    return time.gmtime(calendar.timegm(parsed))[:9]


def shape(value, path, projections, equivalents):
    """byline's JSON result -> feedparser-like objects (markers: $kind, $time, $keys)."""
    if isinstance(value, list):
        return [shape(item, '%s[]' % path, projections, equivalents) for item in value]
    if not isinstance(value, dict):
        return value
    if '$kind' in value:
        inner = value['value']
        return None if inner is None else Compared(inner, value['$kind'], projections, equivalents)
    if '$time' in value:
        return None if value['$time'] is None else time_tuple(value['$time'])
    return Shaped(dict((key, shape(item, '%s.%s' % (path, key), projections, equivalents))
                       for key, item in value.items()), path)


def conjuncts(tree):
    body = tree.body
    if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And):
        return body.values
    return [body]


def evaluate_one(case):
    tree = ast.parse(case['expect'], mode='eval')
    projections = case.get('projections', {})
    equivalents = [label.lower() for label in case.get('charsetEquivalents', [])]
    scope = {'__builtins__': {'len': len, 'ord': ord, 'isinstance': isinstance, 'True': True, 'False': False}}
    result = case['result']
    scope['feed'] = shape(result['feed'], 'feed', projections, equivalents)
    scope['entries'] = shape(result['entries'], 'entries', projections, equivalents)
    scope['encoding'] = Compared(result['encoding'] or '', 'charset', projections, equivalents)
    dropped = []
    evaluated = 0
    for part in conjuncts(tree):
        names = set(node.id for node in ast.walk(part) if isinstance(node, ast.Name))
        if names and names <= FEEDPARSER_ONLY:
            dropped.append(sorted(names)[0])
            continue
        try:
            value = eval(compile(ast.Expression(part), '<expect>', 'eval'), scope)
        except NotModelled as reason:
            dropped.append(reason.key)
            continue
        except NameError as error:
            dropped.append(str(error).split("'")[1] if "'" in str(error) else 'name')
            continue
        except (IndexError, KeyError, TypeError, AttributeError, ValueError) as error:
            return {'key': case['key'], 'status': 'fail', 'dropped': dropped, 'error': '%s: %s' % (type(error).__name__, error)}
        evaluated += 1
        if not value:
            return {'key': case['key'], 'status': 'fail', 'dropped': dropped, 'error': None}
    status = 'pass' if evaluated > 0 else 'na'
    return {'key': case['key'], 'status': status, 'dropped': dropped, 'error': None}


def evaluate(request):
    return {'results': [evaluate_one(case) for case in request['cases']]}


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
