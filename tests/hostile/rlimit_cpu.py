# hostile: the program lowers its own RLIMIT_CPU and spins until SIGXCPU (issue 48 item 10)
# expect: status=crashed signal=24
import resource
resource.setrlimit(resource.RLIMIT_CPU, (1, 2))
x = 0
while True:
    x += 1
