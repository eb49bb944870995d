{{!-- The steps of var funnel_steps as one string, name:event_type[:condition] joined by " > ": what
int_session_funnel records with each row, so that rows computed with other steps can be told apart.
concat_ws skips the leading NULL, which keeps it a call for funnel_steps: [] too (then '').
Use: {{> funnel_steps_key}} --~}}
concat_ws(
  ' > ',
  NULL::VARCHAR
  {{#each vars.funnel_steps}}
  , {{literal name}} || ':' || {{literal event_type}}{{#if condition}} || ':' || {{literal condition}}{{/if}}
  {{/each}}
)
