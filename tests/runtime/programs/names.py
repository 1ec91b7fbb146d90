# What the program can learn about how it was started
import sys
import os

print('__name__', __name__)
print('__file__', __file__)
print('argv', sys.argv)
print('path[0]', sys.path[0])
print('path[0] is the script folder', sys.path[0] == os.path.dirname(os.path.abspath(__file__)))
print('executable', sys.executable)
print('__doc__', __doc__)
print('__package__', __package__)
print('__spec__', __spec__)
print('__loader__', type(__loader__).__name__)
print('__builtins__', type(__builtins__).__name__)
print('globals', sorted(globals()))
import __main__
print('__main__ is this module', __main__.__dict__ is globals())
print('sys.modules __main__', sys.modules['__main__'] is __main__)
print('code filename', sys._getframe().f_code.co_filename)
print('frame depth', len(__import__('traceback').extract_stack()))
print('caller frame', sys._getframe().f_back)
print('flags', sys.flags.optimize, sys.flags.dont_write_bytecode, sys.flags.interactive,
      sys.flags.isolated, sys.flags.safe_path, sys.flags.utf8_mode)
print('recursion limit', sys.getrecursionlimit())
print('stdout', sys.stdout.encoding, sys.stdout.errors, sys.stdout.line_buffering, sys.stdout.isatty())
print('stdin', sys.stdin.isatty())
print('trace', sys.gettrace(), 'profile', sys.getprofile())
print('cwd relative', os.path.relpath(os.path.abspath(__file__)))
print('warnings', sys.warnoptions)
