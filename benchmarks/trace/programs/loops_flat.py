# Loops over a list and a dict's items: a for loop's iterator named at
# every step.
nums = list(range(200))
words = {str(i): i for i in range(50)}
total = 0
for i in range(60):
    for x in nums:
        total += x
    for k, v in words.items():
        total += v
print(total)
