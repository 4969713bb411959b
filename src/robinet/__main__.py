from robinet.cli import main

main()
