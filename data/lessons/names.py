score = 10
a_score = score
print(type(score), a_score is score)
a = 3
a = 'chaiaurcode'
print(type(a))
