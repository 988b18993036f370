from alignwork.cli import main

raise SystemExit(main())
