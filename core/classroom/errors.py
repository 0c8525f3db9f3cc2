"""What can go wrong in a class, each with a message a person can act on."""


class ClassError(ValueError):
    """A request the room refuses; str(error) is the message to show."""


class RoomNotFound(ClassError):
    def __init__(self, code: str):
        super().__init__(f"There is no class with the code {code!r}. Check the code on the screen.")


class RoomExpired(ClassError):
    def __init__(self, code: str):
        super().__init__(f"The class {code} has expired (rooms last 12 hours). Ask for a new code.")


class RoomEnded(ClassError):
    def __init__(self, code: str):
        super().__init__(f"The class {code} has ended.")


class NotInstructor(ClassError):
    def __init__(self):
        super().__init__("Only the instructor who started this class can do that.")
