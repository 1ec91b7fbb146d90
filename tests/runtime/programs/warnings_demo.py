# Warnings name the file and line that caused them
import warnings

warnings.warn('something looks off')


def old():
    warnings.warn('old() is deprecated', DeprecationWarning, stacklevel=2)


old()
warnings.simplefilter('always')
old()
