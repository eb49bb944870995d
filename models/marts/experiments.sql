{{config materialized="table" tags="marts"}}
-- Per experiment × variant: exposed visitors and sessions, conversions after exposure, uplift against the control,
-- a two-proportion z-test p-value, the Bayesian probability of being the best variant, and the
-- experiment's sample ratio check.

with exposures as (
  select * from {{ref "int_session_exposures"}}
),

variants as (
  select
    experiment,
    variant,
    -- The sample ratio check's figure, shown beside sessions so that a reader can see what it tests.
    count(distinct coalesce(visitor_id, session_id))::INTEGER as visitors,
    count(*)::INTEGER as sessions,
    (count(*) filter (where converted))::INTEGER as conversions
  from exposures
  group by experiment, variant
),

rated as (
  select
    *,
    conversions / sessions as conversion_rate,
    -- A page's code may spell it Control or CONTROL: the control is still the one the others are read against.
    first_value(variant) over (partition by experiment order by lower(variant) <> 'control', variant) as control
  from variants
),

against_control as (
  select
    rated.*,
    rated.variant = rated.control as is_control,
    control_row.sessions as control_sessions,
    control_row.conversions as control_conversions,
    control_row.conversion_rate as control_rate,
    (rated.conversions + control_row.conversions) / (rated.sessions + control_row.sessions) as pooled_rate
  from rated
  join rated as control_row
    on control_row.experiment = rated.experiment and control_row.variant = rated.control
),

z_tested as (
  select
    *,
    abs(conversion_rate - control_rate)
      / sqrt(pooled_rate * (1 - pooled_rate) * (1 / sessions + 1 / control_sessions)) as abs_z
  from against_control
  where pooled_rate > 0 and pooled_rate < 1 and not is_control
),

-- Two-sided p = erfc(|z| / √2), erfc by the Chebyshev fit of Numerical Recipes (relative error < 1.2e-7).
p_values as (
  select
    experiment,
    variant,
    t * exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
      + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    ) as p_value
  from (select experiment, variant, abs_z / sqrt(2) as x, 1 / (1 + 0.5 * abs_z / sqrt(2)) as t from z_tested)
),

-- Sample ratio mismatch: a split of visitors far from the intended one means the assignment or the
-- tracking of some variant is broken, and every other figure of the experiment is suspect. The
-- intended split is even, unless var experiment_splits gives the experiment's weights (a variant it
-- leaves out should get no one). Visitors, not sessions: a variant that brings its visitors back more
-- often has more sessions by its effect, and one visitor's sessions are no independent draws. A
-- session without a visitor_id counts as one.
-- Pearson's chi-square against the intended split, with k − 1 degrees of freedom; its upper tail Q(a, x) = 1 − P(a, x) for
-- a = (k − 1) / 2, x = chi-square / 2, with P summed from its series Σ x^(a+n) e^(−x) / Γ(a+n+1),
-- whose terms fall away after n ≈ x (the range reaches 12 standard deviations beyond).
intended_splits(experiment, variant, weight) as (
  select null::VARCHAR, null::VARCHAR, null::DOUBLE where false
  {{#each vars.experiment_splits}}
  {{#each this}}
  union all select {{literal @../key}}, {{literal @key}}, {{literal this}}::DOUBLE
  {{/each}}
  {{/each}}
),

-- Every variant seen or intended, of the experiments that were seen.
split_cells as (
  select
    coalesce(seen.experiment, intended.experiment) as experiment,
    coalesce(seen.visitors, 0) as visitors,
    intended.weight
  from variants as seen
  full join intended_splits as intended using (experiment, variant)
  where coalesce(seen.experiment, intended.experiment) in (select experiment from variants)
),

split_tests as (
  select
    experiment,
    count(*) as variant_count,
    -- Visitors where none were intended are a fault however few: the largest chi-square the series
    -- below sums, whose p-value is 0.
    least(
      sum(case when expected > 0 then (visitors - expected) ^ 2 / expected when visitors > 0 then 1e4 else 0 end),
      1e4
    ) as chi_square
  from (
    select
      experiment,
      visitors,
      case
        when count(weight) over (partition by experiment) = 0 then avg(visitors) over (partition by experiment)
        else sum(visitors) over (partition by experiment) * coalesce(weight, 0)
          / sum(weight) over (partition by experiment)
      end as expected
    from split_cells
  )
  group by experiment
),

split_p_values as (
  select
    experiment,
    -- ln(x) is evaluated for an even split's x = 0 too, whatever the case picks: hence the greatest.
    case
      when variant_count < 2 then null
      when chi_square <= 0 then 1.0
      else greatest(0.0, 1.0 - sum(exp((a + n) * ln(greatest(x, 1e-300)) - x - lgamma(a + n + 1))))
    end as srm_p_value
  from
    (select *, (variant_count - 1) / 2 as a, chi_square / 2 as x from split_tests),
    range(0, ceil(chi_square / 2 + 12 * sqrt(chi_square / 2) + 30)::BIGINT) as series(n)
  group by experiment, variant_count, chi_square
),

-- prob_best = ∫ pdf_i(x) · Π_{j≠i} cdf_j(x) dx for the posteriors Beta(1 + conversions, 1 + failures),
-- integrated with the trapezoid rule on the points of every variant's own grid: 20,001 points spanning
-- its mean ± 20 sd (fewer past ten variants, below). One even grid over all of them left a narrow posterior (a large arm with few or no
-- conversions) within a step or two when a wide one (a new arm) stretched it, and got its share wrong.
posteriors as (
  select
    experiment,
    variant,
    1.0 + conversions as a,
    1.0 + sessions - conversions as b
  from variants
),

-- Every variant's density is taken at every variant's points, variants² × points in all: past ten
-- variants each grid gets fewer points (down to 2,001, 50 per standard deviation), which keeps the
-- work near that of ten up to 32 variants and within 2.5 times it up to 50. Past 50 (a page that
-- names its variants by an id or a price) no probability is worked out and prob_best is NULL, rather
-- than every build stalling on the square.
per_experiment as (
  select
    experiment,
    count(*) as variant_count,
    sum(a + b - 2) as sessions,
    least(20000, greatest(2000, 2000000 // (count(*) * count(*))))::BIGINT as steps
  from posteriors
  group by experiment
  having count(*) <= 50
),

-- The work of every experiment adds up, and a page can name experiments as freely as variants (one per
-- product id, a few sessions each): the experiments are worked out with the most exposed sessions
-- first (then by name) while their work, variants² × points each, stays within 10 million, that of
-- five experiments of ten variants or 125 of two. The rest, the smallest, get NULL.
resolution as (
  select experiment, steps
  from (
    select
      experiment,
      steps,
      sum(variant_count * variant_count * steps)
        over (order by sessions desc, experiment rows between unbounded preceding and current row) as work
    from per_experiment
  )
  where work <= 10000000
),

spans as (
  select
    experiment,
    steps,
    greatest(0.0, a / (a + b) - 20 * sqrt(a * b / ((a + b) ^ 2 * (a + b + 1)))) as lo,
    least(1.0, a / (a + b) + 20 * sqrt(a * b / ((a + b) ^ 2 * (a + b + 1)))) as hi
  from posteriors
  join resolution using (experiment)
),

points as (
  select distinct experiment, lo + (hi - lo) * k / steps as x
  from spans, range(0, steps + 1) as grid_steps(k)
),

-- k orders the points; w is each one's trapezoid weight, half the width between its neighbours.
grid as (
  select
    experiment,
    row_number() over (partition by experiment order by x) as k,
    x,
    (coalesce(lead(x) over (partition by experiment order by x), x)
      - coalesce(lag(x) over (partition by experiment order by x), x)) / 2 as w,
    x - coalesce(lag(x) over (partition by experiment order by x), x) as step
  from points
),

log_density as (
  select
    grid.experiment,
    posteriors.variant,
    grid.k,
    grid.w,
    grid.step,
    (posteriors.a - 1) * ln(greatest(grid.x, 1e-300)) + (posteriors.b - 1) * ln(greatest(1 - grid.x, 1e-300))
      as log_pdf
  from grid
  join posteriors using (experiment)
),

density as (
  select
    experiment,
    variant,
    k,
    w,
    step,
    exp(log_pdf - max(log_pdf) over (partition by experiment, variant)) as pdf
  from log_density
),

-- area_below: the trapezoids from the first point to this one.
cumulative as (
  select
    *,
    sum(w * pdf) over (partition by experiment, variant) as total,
    sum(step * (pdf + coalesce(previous_pdf, pdf)) / 2)
      over (partition by experiment, variant order by k rows unbounded preceding) as area_below
  from (
    select *, lag(pdf) over (partition by experiment, variant order by k) as previous_pdf from density
  )
),

distribution as (
  select experiment, variant, k, w, pdf / total as pdf, area_below / total as cdf from cumulative
),

-- The product of the other variants' cdf at each point: the logarithms of all of them summed, less
-- the variant's own (a window over the point's variants, where a join of each variant with every
-- other one grows with the square of their count); 0 when another's cdf is 0 there.
others_below as (
  select
    experiment,
    variant,
    k,
    w,
    pdf,
    case
      when sum(case when cdf > 0 then 0 else 1 end) over point > case when cdf > 0 then 0 else 1 end then 0.0
      else exp(
        sum(ln(greatest(cdf, 1e-300))) over point - ln(greatest(cdf, 1e-300))
      )
    end as others_cdf
  from distribution
  window point as (partition by experiment, k)
),

prob_best as (
  select experiment, variant, sum(w * pdf * others_cdf) as prob_best
  from others_below
  group by experiment, variant
)

select
  against_control.experiment,
  against_control.variant,
  against_control.visitors,
  against_control.sessions,
  against_control.conversions,
  against_control.conversion_rate::DOUBLE as conversion_rate,
  against_control.is_control,
  case
    when against_control.is_control then 0.0
    when against_control.control_rate > 0 then against_control.conversion_rate / against_control.control_rate - 1
  end::DOUBLE as uplift,
  case
    when against_control.is_control then null
    else least(1.0, coalesce(p_values.p_value, 1.0))
  end::DOUBLE as p_value,
  -- (greatest and least skip a NULL: an experiment not worked out stays NULL.)
  case when prob_best.prob_best is not null then least(1.0, greatest(0.0, prob_best.prob_best)) end::DOUBLE
    as prob_best,
  split_p_values.srm_p_value::DOUBLE as srm_p_value
from against_control
left join p_values using (experiment, variant)
left join prob_best using (experiment, variant)
join split_p_values using (experiment)
order by against_control.experiment, against_control.is_control desc, against_control.variant
