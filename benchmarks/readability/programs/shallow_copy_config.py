# A shallow copy of a nested config shares its inner dicts.
defaults = {
    'db': {'host': 'localhost', 'port': 5432},
    'cache': {'size': 128, 'ttl': 60},
    'debug': False,
}
config = dict(defaults)
config['debug'] = True
config['db']['port'] = 5433
