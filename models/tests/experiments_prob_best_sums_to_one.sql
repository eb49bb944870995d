-- The variants of an experiment share the probability of being best: it sums to 1, within the
-- integration's error (about 1e-8 for a few variants, 2e-6 on the coarser grids of 50).
select experiment, sum(prob_best) as total
from {{ref "experiments"}}
group by experiment
having abs(sum(prob_best) - 1) > 1e-5
