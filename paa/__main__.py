from paa.cli import main

raise SystemExit(main())
