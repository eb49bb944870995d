{{!-- The site a session of the sessions table came from: its referrer_host without a leading "www."
(www.google.com and google.com are one site to a reader of the list), or '(none)' when it has no
referrer or the referrer is the session's own site (same rule as stg_events' channel: the site's host
without its port, with or without "www." on either side). Use: {{> referring_site}} as referrer (sessions does, as referring_site; the models downstream read that column) --~}}
case
  when referrer_host is null
    or referrer_host in (regexp_replace(coalesce(site, ''), ':[0-9]+$', ''), 'www.' || regexp_replace(coalesce(site, ''), ':[0-9]+$', ''))
    or regexp_replace(coalesce(site, ''), ':[0-9]+$', '') = 'www.' || referrer_host
    then '(none)'
  else regexp_replace(referrer_host, '^www\.', '')
end
