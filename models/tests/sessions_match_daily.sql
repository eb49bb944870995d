-- daily, sources and referrers count every session once.
select 'daily' as model, (select sum(sessions) from {{ref "daily"}}) as counted, count(*) as sessions
from {{ref "sessions"}}
having counted is distinct from count(*) and count(*) > 0
union all
select 'sources', (select sum(sessions) from {{ref "sources"}}), count(*)
from {{ref "sessions"}}
having (select sum(sessions) from {{ref "sources"}}) is distinct from count(*) and count(*) > 0
union all
select 'referrers', (select sum(sessions) from {{ref "referrers"}}), count(*)
from {{ref "sessions"}}
having (select sum(sessions) from {{ref "referrers"}}) is distinct from count(*) and count(*) > 0
