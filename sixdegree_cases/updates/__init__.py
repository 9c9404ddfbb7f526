"""What happened next: reviewed updates on a case, its lifecycle, and telling its donors.

- `models`: the `CaseUpdate` page (only under a survivor case, reviewed like the case itself);
- `lifecycle`: fundraising → funded → in progress → completed, set by the case officer;
- `public`: the public allow-list of an update (timeline, map stops, API, feeds, e-mails);
- `feeds`: Atom feeds per case and for the site.
"""
