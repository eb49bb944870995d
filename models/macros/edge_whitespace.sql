{{!-- A regexp for the whitespace at either end of a text: spaces, tabs, line breaks and every Unicode
space (a URL-decoded utm value can carry %09, %0A or %C2%A0; trim() alone takes only spaces). Use:
regexp_replace(column, {{> edge_whitespace}}, '', 'g') --~}}
'^[\s\p{Z}\x0b\x{FEFF}]+|[\s\p{Z}\x0b\x{FEFF}]+$'
