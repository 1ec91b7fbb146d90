ages = {"ada": 36, "alan": 41}
ages["grace"] = 85
names = list(ages)
