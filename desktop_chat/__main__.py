import sys

if __name__ == "__main__":  # not when a process of ours (the typesetter) imports it
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()  # a bundle's own processes start here
    from desktop_chat.app import main

    sys.exit(main())
