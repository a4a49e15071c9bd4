// test app.js
