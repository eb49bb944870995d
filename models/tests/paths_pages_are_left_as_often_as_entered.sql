-- Every page of paths is left as often as it is entered, since a session's last page is left to
-- "(exit)" and its first entered from "(entrance)"; those two are never a step's other end.
with entered as (
  select to_page as page, sum(transitions) as n from {{ref "paths"}} group by to_page
),
departed as (
  select from_page as page, sum(transitions) as n from {{ref "paths"}} group by from_page
)
select page, entered.n as entered, departed.n as departed
from entered
full join departed using (page)
where page not in ('(entrance)', '(exit)') and entered.n is distinct from departed.n
union all
select from_page, null, null from {{ref "paths"}} where from_page = '(exit)' or to_page = '(entrance)'
