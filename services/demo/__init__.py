"""The deterministic demo database builder (`wxzj demo`), apart from the business rules it calls."""
