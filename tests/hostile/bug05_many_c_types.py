# hostile: more than 140 C types reachable from one list (issue 7 bug 5)
# expect: status=finished
import array, collections, decimal, fractions, hashlib, io, itertools, re
import functools, operator, weakref, types, datetime, struct, zlib, random
values = []
for mod in (itertools, collections, operator, functools, re, io, datetime, decimal):
    for name in dir(mod):
        t = getattr(mod, name)
        if isinstance(t, type):
            values.append(t)
values += [itertools.count(), itertools.repeat(1), itertools.cycle([1]), itertools.chain(),
           collections.deque(), collections.OrderedDict(), collections.defaultdict(int),
           collections.Counter(), re.compile("a"), re.match("a", "a"), hashlib.md5(),
           hashlib.sha1(), hashlib.sha256(), io.BytesIO(), io.StringIO(), array.array("i"),
           decimal.Decimal(1), fractions.Fraction(1, 3), datetime.date(2020, 1, 1),
           datetime.timedelta(1), struct.Struct("i"), zlib.compressobj(), random.Random(),
           operator.itemgetter(1), operator.attrgetter("a"), functools.partial(print),
           weakref.WeakValueDictionary(), types.SimpleNamespace(), memoryview(b"x"),
           range(3), slice(1), bytearray(), frozenset(), complex(1, 2), property(),
           staticmethod(print), classmethod(print), enumerate([]), zip(), map(abs, []),
           filter(None, []), reversed([]), iter([]), iter(()), iter({}), iter(set()), iter(""),
           iter(b""), iter(bytearray()), {}.keys(), {}.values(), {}.items()]
print(len(values) > 140, len({type(v) for v in values}) > 140)
