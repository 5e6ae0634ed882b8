from dealercrm.cli import main

main()
