# hostile: the program reads back the limits it set, may not raise them, and its own files keep them (issue 48 items 5, 10)
# expect: status=finished
import resource
resource.setrlimit(resource.RLIMIT_AS, (200 * 1024 * 1024, resource.getrlimit(resource.RLIMIT_AS)[1]))
print(resource.getrlimit(resource.RLIMIT_AS)[0])
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 2048))
print(resource.getrlimit(resource.RLIMIT_FSIZE))
print(resource.prlimit(0, resource.RLIMIT_FSIZE))
try:
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 4096))
    print("raised", resource.getrlimit(resource.RLIMIT_FSIZE))
except ValueError:
    print("refused")
import tempfile
with tempfile.TemporaryFile(buffering=0) as f:
    print("wrote", f.write(b"x" * 5000))
    try:
        f.write(b"x")
    except OSError as e:
        print("then", e.errno)
