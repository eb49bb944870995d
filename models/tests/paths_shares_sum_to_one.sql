-- The steps leaving each page of paths share out all its transitions: their shares add up to 1.
select from_page, sum(share) as shares
from {{ref "paths"}}
group by from_page
having abs(sum(share) - 1) > 1e-9
