# hostile: an exception with a note; the message is not the note (issue 7 bug 13)
# expect: status=exception error.type=KeyError "error.message='k'"
e = KeyError("k")
e.add_note("a note")
raise e
