-- The variants of an experiment share the probability of being best: it sums to 1.
select experiment, sum(prob_best) as total
from {{ref "experiments"}}
group by experiment
having abs(sum(prob_best) - 1) > 1e-6
