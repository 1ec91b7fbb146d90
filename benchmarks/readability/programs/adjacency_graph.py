# A graph as an adjacency dict filled from edge tuples, then a DFS.
edges = [('a', 'b'), ('a', 'c'), ('b', 'd'), ('c', 'd'), ('d', 'e'), ('e', 'a')]
graph = {}
for u, v in edges:
    graph.setdefault(u, []).append(v)
    graph.setdefault(v, [])


def dfs(start):
    seen = set()
    order = []
    stack = [start]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            order.append(node)
            stack.extend(reversed(graph[node]))
    return order, seen


order, seen = dfs('a')
