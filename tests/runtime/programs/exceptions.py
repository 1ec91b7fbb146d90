# Tracebacks, printed and uncaught
import sys
import traceback


def parse(text):
    return int(text)


def load(values):
    return [parse(v) for v in values]


try:
    load(['1', 'x'])
except ValueError:
    traceback.print_exc()

try:
    {}['missing']
except KeyError as e:
    print('caught', repr(e))
    print(''.join(traceback.format_exception(e)), file=sys.stderr)


class AppError(Exception):
    pass


def run():
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise AppError('could not run') from e


print('about to fail', flush=True)
run()
