l1 = [1, 2, 3]
l2 = l1
l1[0] = 44
print(l2)
p1 = [1, 2, 3]
p2 = p1
p2 = [1, 2, 3]
print(p1 is p2, p1)
nums = [1, 2]
nums_alias = nums
nums += [3]
pair = (1, 2)
pair_alias = pair
pair += (3,)
word = 'ab'
word_alias = word
word += 'c'
print(nums_alias, pair_alias, word_alias)
