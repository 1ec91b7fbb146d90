# A JSON-like document: dicts and lists nested three deep.
document = {
    'name': 'shop',
    'version': 2,
    'owners': [{'name': 'kim', 'admin': True}, {'name': 'lee', 'admin': False}],
    'items': [
        {'id': 1, 'price': 9.5, 'tags': ['new', 'sale']},
        {'id': 2, 'price': 12.0, 'tags': []},
    ],
    'settings': {'currency': 'EUR', 'tax': {'rate': 0.2, 'included': True}},
}
first_tags = document['items'][0]['tags']
