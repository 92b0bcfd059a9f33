"""Evaluating feedparser's `Expect:` expressions against byline's result.

The TypeScript side lays byline's result out like feedparser's (feed, entries,
encoding), marking each value with the comparison it needs; this module turns
that JSON into Python objects and evaluates each expression conjunct by
conjunct. A conjunct that reads only feedparser's own state (`bozo`,
`version`...) or a key byline has no counterpart for is set aside and
reported; the case applies when at least one conjunct was evaluated.
"""
import ast
import calendar
import time

# Names that only feedparser has: a conjunct made of nothing else is set aside.
FEEDPARSER_ONLY = {'bozo', 'bozo_exception', 'version', 'namespaces', 'headers', 'href', 'status', 'feedparser'}


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

    def __new__(cls, value, kind, projections, equivalents, alternatives=None):
        text = str.__new__(cls, value)
        text.kind = kind
        text.projections = projections
        text.equivalents = equivalents
        text.alternatives = alternatives or {}
        return text

    def matches(self, value, other):
        projected = self.projections.get(other, {}).get(self.kind)
        if projected is None:
            return value == other
        if projected.get('notApplicable'):
            raise NotModelled('policy:' + projected['notApplicable'])
        return value in projected['values']

    def __eq__(self, other):
        if not isinstance(other, str):
            return False
        if self.kind == 'charset':
            return other.lower() in self.equivalents
        if self.matches(str(self), other):
            return True
        # Equal to what byline would give without one of its deliberate rules: that rule is the difference.
        for reason, value in sorted(self.alternatives.items()):
            if value is not None and value != str(self) and self.matches(value, other):
                raise NotModelled('policy:' + reason)
        return False

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


def time_tuple(iso):
    parsed = time.strptime(iso[:19], '%Y-%m-%dT%H:%M:%S')
    return time.gmtime(calendar.timegm(parsed))[:9]


def shape(value, path, projections, equivalents):
    """byline's JSON result -> feedparser-like objects (markers: $kind for compared values, $time for dates)."""
    if isinstance(value, list):
        return [shape(item, '%s[]' % path, projections, equivalents) for item in value]
    if not isinstance(value, dict):
        return value
    if '$kind' in value:
        inner = value['value']
        if inner is None and value['$kind'] in ('text', 'html'):
            # byline reads an empty element as absent; feedparser keeps it as ''.
            inner = ''
        if inner is None:
            return None
        return Compared(inner, value['$kind'], projections, equivalents, value.get('alternatives'))
    if '$time' in value:
        return None if value['$time'] is None else time_tuple(value['$time'])
    return Shaped(dict((key, shape(item, '%s.%s' % (path, key), projections, equivalents))
                       for key, item in value.items()), path)


def access_path(node):
    """`entries[0]['authors'][1].get('name')` -> 'entries[].authors[].name'; None when not a plain access chain."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript):
        inner = access_path(node.value)
        key = node.slice
        if inner is None or not isinstance(key, ast.Constant):
            return None
        return inner + ('[]' if isinstance(key.value, int) else '.%s' % key.value)
    if isinstance(node, ast.Attribute):
        inner = access_path(node.value)
        return None if inner is None else '%s.%s' % (inner, node.attr)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'get'
            and node.args and isinstance(node.args[0], ast.Constant)):
        inner = access_path(node.func.value)
        return None if inner is None else '%s.%s' % (inner, node.args[0].value)
    return None


def unmodelled_access(part, modelled):
    """The first path the expression reads that byline's result has no counterpart for."""
    for node in ast.walk(part):
        path = access_path(node)
        if path is None or '.' not in path and '[' not in path:
            continue
        root = path.split('.')[0].split('[')[0]
        if root in ('feed', 'entries') and path not in modelled:
            return path
    return None


def conjuncts(tree):
    body = tree.body
    if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And):
        return body.values
    return [body]


def evaluate_one(case, modelled):
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
        unmodelled = unmodelled_access(part, modelled)
        if unmodelled is not None:
            dropped.append(unmodelled)
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
    """Evaluates every case of a request: {modelled: [paths], cases: [{key, expect, result, ...}]}."""
    modelled = set(request['modelled'])
    return {'results': [evaluate_one(case, modelled) for case in request['cases']]}
