npx webpack ./src/main.js --mode production
