# hostile: an untraced thread frees floats the graph shows (issue 7 bug 1)
# expect: status=finished
import threading

shared = [1.5]
lists = [[float(i)] for i in range(200)]

def work():
    for lst in lists:
        v = lst.pop() + 1.0
        lst.append(v * 2.0)
    v = shared.pop() + 1.0
    shared.append(v * 2.0)

t = threading.Thread(target=work)
t.start()
t.join()
print(shared, sum(l[0] for l in lists))
