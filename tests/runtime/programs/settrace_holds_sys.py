# Heapscope puts a sys.settrace of its own in sys while it traces, which
# holds sys as its __self__, as the original does.  The original, which
# Heapscope keeps to call, held sys once more: sys.getrefcount(sys) read
# one more than under python3, and sys had two settrace functions.
import gc
import sys

held_by = [r for r in gc.get_referrers(sys)
           if type(r).__name__ == 'builtin_function_or_method' and r.__name__ == 'settrace']
print(len(held_by), held_by[0] is sys.settrace, sys.settrace.__self__ is sys)
